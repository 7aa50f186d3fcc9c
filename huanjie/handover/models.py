"""The handover between the outgoing and the new committee and the archive of a
place's cycle (DOMAIN §9)."""
