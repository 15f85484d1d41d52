"""The demo borough's stop-and-search monitoring group, so the demo's chair, reviewer and force liaison
(accounts/demo_data.py) open its pages and draw samples from the generated stops."""

from __future__ import annotations

from openward.areas.models import Ward
from openward.core import demo

from .models import MonitoringGroup


def load_demo_group(workdir, stdout) -> None:
    ward = Ward.objects.filter(is_demo=True).select_related("borough").order_by("gss_code").first()
    if ward is None:
        raise demo.NothingToLoad("the monitoring group needs the demo borough: run the areas step first")
    group, _ = MonitoringGroup.objects.get_or_create(
        borough=ward.borough, defaults={"name": f"{ward.borough.name} stop and search monitoring group"}
    )
    stdout.write(f"  {group.name}: its pages are at /monitoring/boroughs/{ward.borough.gss_code}/")


demo.register("monitoring", order=70, step=load_demo_group)
