-- over: keeps every event the rule can match
  ((coalesce(lower(eventsource) LIKE '%amazonaws.com' ESCAPE '\', FALSE) OR coalesce(strlen(eventsource) <> length(eventsource), FALSE)) AND (coalesce(lower(awsregion) = 'us-east-1', FALSE) OR coalesce(strlen(awsregion) <> length(awsregion), FALSE)))
-- under: keeps only events the rule surely matches (printed under NOT)
  ((coalesce(lower(eventsource) LIKE '%amazonaws.com' ESCAPE '\', FALSE) AND (NOT coalesce(strlen(eventsource) <> length(eventsource), FALSE))) AND (coalesce(lower(awsregion) = 'us-east-1', FALSE) AND (NOT coalesce(strlen(awsregion) <> length(awsregion), FALSE))))
