"""三员分立 in the database too: an administrator role is never stored beside another role of the same user.

The services check the final role set first (with a Chinese message); this trigger refuses
what slips past them (a raw insert, a shell session). On PostgreSQL the user row is locked
so two concurrent grants for one account cannot both pass.
"""

from django.db import migrations

ADMIN = "('system_admin', 'security_admin', 'audit_admin')"
MESSAGE = "三员分立：系统管理员、安全管理员、审计管理员不能兼任，也不能与其他角色合用"
CLASH = f"""EXISTS (SELECT 1 FROM accounts_userrole r
    WHERE r.user_id = NEW.user_id AND r.id IS NOT NEW.id AND r.role <> NEW.role
      AND (r.role IN {ADMIN} OR NEW.role IN {ADMIN}))"""

SQLITE_FORWARD = [
    f"""CREATE TRIGGER accounts_userrole_separation_{op.lower()} BEFORE {op} ON accounts_userrole
    WHEN {CLASH}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;"""
    for op in ("INSERT", "UPDATE")
]
SQLITE_BACKWARD = [f"DROP TRIGGER IF EXISTS accounts_userrole_separation_{op};" for op in ("insert", "update")]

PG_FORWARD = [
    f"""CREATE OR REPLACE FUNCTION sanxin_user_role_separation() RETURNS trigger AS $$
BEGIN
    PERFORM 1 FROM accounts_user WHERE id = NEW.user_id FOR NO KEY UPDATE;
    IF {CLASH.replace("IS NOT NEW.id", "IS DISTINCT FROM NEW.id")} THEN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER accounts_userrole_separation BEFORE INSERT OR UPDATE ON accounts_userrole
    FOR EACH ROW EXECUTE FUNCTION sanxin_user_role_separation();""",
]
PG_BACKWARD = [
    "DROP TRIGGER IF EXISTS accounts_userrole_separation ON accounts_userrole;",
    "DROP FUNCTION IF EXISTS sanxin_user_role_separation();",
]


def _run(schema_editor, statements):
    for sql in statements:
        schema_editor.execute(sql, params=None)


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    _run(schema_editor, PG_FORWARD if vendor == "postgresql" else SQLITE_FORWARD if vendor == "sqlite" else [])


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    _run(schema_editor, PG_BACKWARD if vendor == "postgresql" else SQLITE_BACKWARD if vendor == "sqlite" else [])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_api_token_revoked")]
    operations = [migrations.RunPython(forward, backward)]
