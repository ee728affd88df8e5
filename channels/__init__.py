"""Adapters from the outside world (web, SMS, voice, proxy) to Remedy's services.

Each channel module has ``init_app(app)``; the app factory loads the ones named
in ``REMEDY_CHANNELS``, so ``remedy`` never imports a channel and a deployment
can switch one off.
"""
