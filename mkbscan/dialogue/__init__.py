"""The one owner of the conversation's routing.

`states.Awaiting` names what the bot is waiting for; `router.route` decides, for that open
state and what the user said, what happens next. Rasa runs one action (`action_dialogue`)
after every message; its rules are generated from `router.ROUTED_INTENTS`
(`python -m mkbscan.dialogue.rules`, checked by tests/unit/dialogue). No Rasa imports here.
"""
