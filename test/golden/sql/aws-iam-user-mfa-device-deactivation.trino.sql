-- over: keeps every event the rule can match
  (coalesce(lower(eventsource) = 'iam.amazonaws.com', FALSE) AND coalesce(lower(eventname) = 'deactivatemfadevice', FALSE))
-- under: keeps only events the rule surely matches (printed under NOT)
  FALSE
