"""Country and language names in the reasons the matching engine gives: pycountry's (ISO 3166-1, ISO 639), the
same names every page shows (mentora.core.vocabulary, plain data like the engine).

Kept per code: a network-wide run names the same few countries and languages in thousands of reasons, and
each pycountry lookup costs about 20 microseconds.
"""

from functools import cache

from mentora.core import vocabulary

country_name = cache(vocabulary.country_name)
language_name = cache(vocabulary.language_name)

__all__ = ["country_name", "language_name"]
