"""Country and language names in the reasons the matching engine gives: pycountry's (ISO 3166-1, ISO 639), the
same names every page shows (mentora.core.vocabulary, plain data like the engine)."""

from mentora.core.vocabulary import country_name, language_name

__all__ = ["country_name", "language_name"]
