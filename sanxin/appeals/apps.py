from sanxin.core.declare import SanxinApp


class AppealsConfig(SanxinApp):
    name = "sanxin.appeals"
    label = "appeals"
    verbose_name = "诉求"
