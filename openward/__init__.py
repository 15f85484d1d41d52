"""Open Ward: neighbourhood policing for residents, ward panels and police teams."""
