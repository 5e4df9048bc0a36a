"""Getting bytes politely, and turning each source's bytes into raw listings."""
