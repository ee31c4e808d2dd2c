"""Delivery months: one partition per landing/<YYYY-MM> folder, added as deliveries arrive."""

from __future__ import annotations

import dagster as dg

delivery_months = dg.DynamicPartitionsDefinition(name="delivery_month")
