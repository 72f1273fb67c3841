-- over: keeps every event the rule can match
  (coalesce(lower(eventname) LIKE '%mfa%dev%' ESCAPE '\', FALSE) AND coalesce(lower(useridentity.arn) LIKE '%:user/%' ESCAPE '\', FALSE))
-- under: keeps only events the rule surely matches (printed under NOT)
  (coalesce(lower(eventname) LIKE '%mfa%dev%' ESCAPE '\', FALSE) AND coalesce(lower(useridentity.arn) LIKE '%:user/%' ESCAPE '\', FALSE))
