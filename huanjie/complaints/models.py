"""Complaints and reports (信访/举报) and incidents of the cycle (DOMAIN §10)."""
