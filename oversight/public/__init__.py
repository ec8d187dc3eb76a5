"""Public duty pages (代表法第五十八条：公示代表基本信息和履职信息；条例第九条第（十）项).

No login. Off unless the liaison office turns it on (PublicDutySettings.enabled). A deputy's page shows,
per year, only what the year-end review approved for the deputy's street committee.
"""
