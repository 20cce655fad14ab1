from django.contrib.auth.hashers import Argon2PasswordHasher


class FastArgon2idHasher(Argon2PasswordHasher):
    """Still Argon2id, with test-sized costs so hundreds of logins stay quick."""

    time_cost = 1
    memory_cost = 1024
    parallelism = 1
