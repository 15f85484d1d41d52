"""Import an app's optional hook modules (demo steps, area-page sections, personal data, notice subjects)
at start-up."""

from importlib import import_module

HOOK_MODULES = ("demo_data", "sections", "personal_data", "notices", "staff_home")


def autodiscover(app_name: str) -> None:
    for module in HOOK_MODULES:
        dotted = f"{app_name}.{module}"
        try:
            import_module(dotted)
        except ModuleNotFoundError as exc:
            if exc.name != dotted:
                raise
