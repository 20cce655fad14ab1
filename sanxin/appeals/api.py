from ninja import Router

router = Router(tags=["诉求"])
worker_router = Router(tags=["诉求（从业人员本人）"])
