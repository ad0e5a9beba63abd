"""Rules: facts, conditions, dated parameters, eligibility, prices and service requirements.

Rules are data first, code where needed, and always dated and explained.
"""
