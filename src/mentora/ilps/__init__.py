"""Individualized learning plans: SMART goals, mentor sign-off, reassessment cycles, timeline, PDF."""
