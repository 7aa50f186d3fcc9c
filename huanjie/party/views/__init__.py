"""Pages of the party elections (DOMAIN §8), one module of views per part of the work:
the roster, the members' meetings with who is due, the first plenary with the
approval, and the delegate congress."""
