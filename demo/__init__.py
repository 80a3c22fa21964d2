"""Demo data for a first look at the API: real-looking clients, challenges and promo codes.

Everything is made through the domain functions, so the demo obeys the same
rules as data made through the API. To add a kind of data, write a step and
list it in ``demo.steps.DEMO_STEPS``.
"""
