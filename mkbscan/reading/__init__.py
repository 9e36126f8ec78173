"""Reading a typed answer to a scale question the way a person would.

`rules` reads cue words with their clause and negation scope; `model` is an ordinal
classifier over the sentence, trained on labelled answers per question; `reader` combines
the two into a level with a verdict: sure, or unsure between two or three levels (the bot
then asks back instead of guessing).
"""
