-- over: keeps every event the rule can match
  (coalesce(lower(eventsource) = 'iam.amazonaws.com', FALSE) AND (errorcode IS NULL))
-- under: keeps only events the rule surely matches (printed under NOT)
  (coalesce(lower(eventsource) = 'iam.amazonaws.com', FALSE) AND (errorcode IS NULL))
