"""Mentora: mentorship and individualized learning plans for IMGs."""
