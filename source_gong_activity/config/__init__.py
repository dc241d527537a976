"""The connector's config: the raw mapping read into one typed object, unknown keys named, refreshed tokens kept."""
