"""Huanjie (换届): the term-change elections of villages and urban communities."""
