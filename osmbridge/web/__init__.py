"""The review web application (`osmbridge serve`): mappers and city staff decide, field by field.

FastAPI + Jinja2, server-rendered, a little JavaScript, no build step; English and French.
"""
