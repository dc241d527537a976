"""The calendar: Gong's periods and windows, the company's days and zone, and its current day; nowhere else."""
