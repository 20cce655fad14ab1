"""Scope-test routes of the import area; collected by tests/scope_registry.py.

Import jobs belong to the person who uploaded the file, not to a territory: another user gets
404 for the job, its errors and its error file (tests/test_imports.py::test_pages_upload_progress_and_errors).
"""

ROUTES: list = []
EXEMPT: dict[str, str] = {
    "imports:upload": "上传表单，不显示数据；名录不可用或无权限时 404，见 test_import_needs_the_capability",
    "imports:template": "空白模板，只含表头、下拉值和填写说明",
    "imports:job_list": "只列本人上传的任务，见 test_pages_upload_progress_and_errors",
    "imports:job_detail": "只有上传人可见，见 test_pages_upload_progress_and_errors",
    "imports:job_errors": "只有上传人可下载，见 test_pages_upload_progress_and_errors",
    "imports:job_retry": "只接受 POST，只有上传人可重新导入，见 test_import_hardening.py::test_only_the_owner_retries",
    "api:create_import_job": "上传文件新建本人的任务，不显示数据；无导入权限或名录不可用时 404，见 test_api.py::test_refusals",
    "api:list_import_jobs": "只列本人上传的任务，见 tests/imports/test_api.py::test_a_job_is_its_uploaders_only",
    "api:get_import_job": "只有上传人可见，见 tests/imports/test_api.py::test_a_job_is_its_uploaders_only",
    "api:list_import_errors": "只有上传人可见，见 tests/imports/test_api.py::test_a_job_is_its_uploaders_only",
    "api:download_import_errors": "只有上传人可下载，记审计，见 tests/imports/test_api.py::test_a_job_is_its_uploaders_only",
    "api:retry_import_job": "只接受 POST，只有上传人可重新导入，见 tests/imports/test_api.py::test_a_job_is_its_uploaders_only",
}
