"""The site's generation: pages, forms, feed, assets and CSP, from the checked policy bundle.

Only mkdocs_adapter.py imports MkDocs; every other module here is a plain function of the bundle
(and a date or a folder), tested without MkDocs. Moving to another generator means another adapter.
"""
