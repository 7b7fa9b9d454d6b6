"""Field types shared by the API's request bodies."""

from typing import Annotated

from ninja import Field

# The id of a row: positive and within a 64-bit integer column. A larger number in a request is a 422
# problem naming the field, not a database error (SQLite cannot even bind it).
RowId = Annotated[int, Field(ge=1, le=2**63 - 1)]
