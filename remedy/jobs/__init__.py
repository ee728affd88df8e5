"""The periodic jobs every worker runs (``registry``), put into the app by its factory.

The turn-taking between workers is ``remedy.messaging.periodic``: messaging sits below
the features and finds the jobs in the app.
"""
