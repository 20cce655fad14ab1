"""Days whose status the administrator sets by the State Council's notice, over the chinesecalendar package."""

from django.db import models

from sanxin.core.models import BaseModel


class DayAdjustment(BaseModel):
    day = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("是否工作日")  # False: a holiday (放假); True: a make-up working day (调休上班)
    name = models.CharField("节日名称", max_length=20, blank=True)
    note = models.CharField("依据", max_length=100, blank=True)  # the notice, e.g. 国办发明电〔2026〕X号

    class Meta:
        ordering = ["day"]
        verbose_name = "放假安排"

    def __str__(self):
        return f"{self.day:%Y-%m-%d} {'上班' if self.is_workday else '放假'}"
