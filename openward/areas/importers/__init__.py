"""Area importers: postcodes, boundaries, LSOA → ward lookups, forces and neighbourhood teams."""

from .boundaries import (
    SOURCES as BOUNDARY_SOURCES,
)
from .boundaries import (
    BoroughBoundaryImporter,
    LondonBoroughsGeoJson,
    LondonWards2014Esri,
    LondonWards2018Esri,
    LsoaBoundaryImporter,
    OnsWards,
    WardBoundaryImporter,
)
from .forces import ForceImporter
from .lookups import LsoaWardLookupImporter
from .postcodes import CodePointOpenImporter, OnsPostcodeDirectoryImporter
from .teams import NeighbourhoodTeamImporter

__all__ = [
    "BOUNDARY_SOURCES",
    "BoroughBoundaryImporter",
    "CodePointOpenImporter",
    "ForceImporter",
    "LondonBoroughsGeoJson",
    "LondonWards2014Esri",
    "LondonWards2018Esri",
    "LsoaBoundaryImporter",
    "LsoaWardLookupImporter",
    "NeighbourhoodTeamImporter",
    "OnsPostcodeDirectoryImporter",
    "OnsWards",
    "WardBoundaryImporter",
]
