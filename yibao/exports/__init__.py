"""What the warehouse hands back to the departments each month (issue 6): the bulletin and the
findings list under ``exports/<YYYY-MM>/`` (no raw identifiers), and the poverty office's flag
exchange under ``exports/restricted/<YYYY-MM>/`` (it carries the office's own IDs)."""

from .bulletin import export_bulletin
from .exchange import export_poverty_office_exchange

__all__ = ["export_bulletin", "export_poverty_office_exchange"]
