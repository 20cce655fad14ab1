"""How personal data looks on screen: masked unless the viewer may see it in full."""


def mask_phone(phone: str | None) -> str:
    if not phone:
        return ""
    if len(phone) <= 7:  # too short to keep 3 + 4 characters and still hide any
        return "*" * len(phone)
    return f"{phone[:3]}{'*' * (len(phone) - 7)}{phone[-4:]}"


def mask_id_number(id_number: str | None) -> str:
    if not id_number:
        return ""
    if len(id_number) <= 8:  # too short to keep 4 + 4 characters and still hide any
        return "*" * len(id_number)
    return f"{id_number[:4]}{'*' * (len(id_number) - 8)}{id_number[-4:]}"


def mask_name(name: str | None) -> str:
    if not name:
        return ""
    if len(name) == 1:
        return name
    return name[0] + "*" * (len(name) - 1)


class MaskedIdentity:
    """A model's `id_number` and `phone` as every page, export and API shows them: masked."""

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)
