"""The default vocabulary of concerns: words residents use, mapped to police.uk crime categories.

Loaded by migration 0002; panels can add concerns in the admin.
"""

CONCERNS = [
    # (slug, name, description, synonyms, police.uk categories)
    (
        "street-robbery-and-theft",
        "Street robbery and theft from the person",
        "Being robbed or having things snatched or stolen while out.",
        ["mugging", "muggings", "phone snatching", "pickpocketing", "bag snatching", "robbery"],
        ["robbery", "theft-from-the-person"],
    ),
    (
        "anti-social-behaviour",
        "Anti-social behaviour",
        "Nuisance, rowdiness, intimidating groups, neighbour problems.",
        ["asb", "nuisance", "rowdy behaviour", "youths hanging around", "noise"],
        ["anti-social-behaviour"],
    ),
    (
        "burglary",
        "Burglary",
        "Break-ins to homes, sheds and businesses.",
        ["break-ins", "break in", "house burglary", "breaking and entering"],
        ["burglary"],
    ),
    (
        "vehicle-crime",
        "Vehicle crime",
        "Theft of or from cars, vans and motorbikes.",
        ["car theft", "theft from cars", "catalytic converter theft", "moped theft"],
        ["vehicle-crime"],
    ),
    (
        "bicycle-theft",
        "Bicycle theft",
        "Stolen bikes and parts.",
        ["bike theft", "stolen bikes", "cycle theft"],
        ["bicycle-theft"],
    ),
    (
        "drugs",
        "Drug dealing and drug use",
        "Dealing, drug use in public, cannabis smoke.",
        ["drug dealing", "county lines", "cannabis", "weed"],
        ["drugs"],
    ),
    (
        "violence",
        "Violence",
        "Assaults, fights and violence against people.",
        ["assault", "fighting", "domestic violence", "attacks"],
        ["violent-crime"],
    ),
    (
        "weapons",
        "Knife crime and weapons",
        "Carrying knives and other weapons.",
        ["knife crime", "knives", "stabbings", "weapons"],
        ["possession-of-weapons"],
    ),
    (
        "shoplifting",
        "Shoplifting",
        "Theft from shops.",
        ["shop theft", "retail crime"],
        ["shoplifting"],
    ),
    (
        "criminal-damage",
        "Criminal damage and graffiti",
        "Vandalism, graffiti, arson.",
        ["vandalism", "graffiti", "arson", "tagging"],
        ["criminal-damage-arson"],
    ),
    (
        "public-order",
        "Public disorder",
        "Disorder, harassment and threatening behaviour in public.",
        ["harassment", "street drinking", "disorder"],
        ["public-order"],
    ),
    (
        "road-safety",
        "Speeding and road safety",
        "Speeding, dangerous driving, cycling on pavements.",
        ["speeding", "dangerous driving", "racing", "e-scooters", "cycling on the pavement"],
        [],
    ),
    (
        "fraud-and-scams",
        "Fraud and scams",
        "Doorstep, phone and online scams.",
        ["scams", "doorstep crime", "rogue traders", "online fraud"],
        [],
    ),
    (
        "womens-safety",
        "Women's and girls' safety",
        "Feeling safe at night, harassment of women and girls.",
        ["vawg", "spiking", "night-time safety", "catcalling"],
        [],
    ),
]


def load_concerns(concern_model) -> None:
    """Create or update the default concerns (the migration passes its historical model)."""
    for position, (slug, name, description, synonyms, categories) in enumerate(CONCERNS):
        concern_model.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "description": description,
                "synonyms": synonyms,
                "crime_categories": categories,
                "position": position,
            },
        )
