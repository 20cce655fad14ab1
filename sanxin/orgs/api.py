from ninja import Router

router = Router(tags=["两新组织与覆盖"])
