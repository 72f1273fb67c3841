-- over: keeps every event the rule can match
  (coalesce(lower(eventsource) LIKE '%amazonaws.com' ESCAPE '\', FALSE) AND coalesce(lower(awsregion) = 'us-east-1', FALSE))
-- under: keeps only events the rule surely matches (printed under NOT)
  (coalesce(lower(eventsource) LIKE '%amazonaws.com' ESCAPE '\', FALSE) AND coalesce(lower(awsregion) = 'us-east-1', FALSE))
