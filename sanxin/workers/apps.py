from sanxin.core.declare import SanxinApp


class WorkersConfig(SanxinApp):
    name = "sanxin.workers"
    label = "workers"
    verbose_name = "新就业群体从业人员"
