-- over: keeps every event the rule can match
  TRUE
-- under: keeps only events the rule surely matches (printed under NOT)
  FALSE
