"""Matching leaders with mentors: criteria, hard constraints, an optimal assignment.

NumPy and SciPy are imported only when matching runs.
"""
