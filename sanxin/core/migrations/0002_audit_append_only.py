"""On PostgreSQL the audit table refuses UPDATE and DELETE (security.md item 14).

DELETE passes only for rows older than 190 days inside a transaction that set
sanxin.audit_purge (the retention purge). TRUNCATE is a table owner's right that
the application role should not hold in production (grant it INSERT and SELECT only);
the test suite's flush between transactional tests needs it.
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION sanxin_audit_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE'
       AND coalesce(current_setting('sanxin.audit_purge', true), '') = 'on'
       AND OLD.occurred_at < now() - interval '190 days' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION '审计记录只能追加，不能修改或删除 (%)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_auditevent_append_only
    BEFORE UPDATE OR DELETE ON core_auditevent
    FOR EACH ROW EXECUTE FUNCTION sanxin_audit_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS core_auditevent_append_only ON core_auditevent;
DROP FUNCTION IF EXISTS sanxin_audit_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
