-- over: keeps every event the rule can match
  ((coalesce(lower(eventsource) LIKE '%amazonaws.com' ESCAPE '\', FALSE) OR coalesce(length(to_utf8(eventsource)) <> length(eventsource), FALSE)) AND (coalesce(lower(awsregion) = 'us-east-1', FALSE) OR coalesce(length(to_utf8(awsregion)) <> length(awsregion), FALSE)))
-- under: keeps only events the rule surely matches (printed under NOT)
  ((coalesce(lower(eventsource) LIKE '%amazonaws.com' ESCAPE '\', FALSE) AND (NOT coalesce(length(to_utf8(eventsource)) <> length(eventsource), FALSE))) AND (coalesce(lower(awsregion) = 'us-east-1', FALSE) AND (NOT coalesce(length(to_utf8(awsregion)) <> length(awsregion), FALSE))))
