"""Mount the police.uk-compatible routers in an order that keeps specific paths first.

`{force}/{neighbourhood}` would otherwise swallow `crimes-street/{category}`, so the
generic force/neighbourhood routes are added last.
"""

from ninja import Router

from . import crime, engagement, forces, neighbourhoods, priorities, stops

router = Router(tags=["police.uk compatible"])
router.add_router("", crime.router)
router.add_router("", stops.router)
router.add_router("", forces.router)
router.add_router("", engagement.router)
router.add_router("", priorities.router)
router.add_router("", neighbourhoods.router)
