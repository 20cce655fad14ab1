from django_tasks import task


@task()
def run_comparison(comparison_id: int) -> None:
    from sanxin.compare.services import comparison_run

    comparison_run(comparison_id)
