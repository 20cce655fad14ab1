from django_tasks import task


@task()
def run_import(job_id: int) -> None:
    from sanxin.imports.services import import_job_run

    import_job_run(job_id)
