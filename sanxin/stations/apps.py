from sanxin.core.declare import SanxinApp


class StationsConfig(SanxinApp):
    name = "sanxin.stations"
    label = "stations"
    verbose_name = "服务阵地"
