"""Configuring a product: the core under the studio (HTML) and the API (JSON).

Reading a shopper's selection (:mod:`.selection`), evaluating it with the version's engine
(:mod:`.evaluation`) into the state both faces show (:mod:`.payloads`), naming and rendering
previews (:mod:`.previews`), and finding the published version and its engine
(:mod:`.selectors`). Nothing here knows about requests or HTTP statuses.
"""
