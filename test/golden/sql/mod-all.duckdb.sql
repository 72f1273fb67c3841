-- over: keeps every event the rule can match
     (coalesce(lower(useridentity.arn) LIKE '%arn:aws%' ESCAPE '\', FALSE) AND coalesce(lower(useridentity.arn) LIKE '%user/%' ESCAPE '\', FALSE))
  OR coalesce(strlen(useridentity.arn) <> length(useridentity.arn), FALSE)
-- under: keeps only events the rule surely matches (printed under NOT)
  ((coalesce(lower(useridentity.arn) LIKE '%arn:aws%' ESCAPE '\', FALSE) AND coalesce(lower(useridentity.arn) LIKE '%user/%' ESCAPE '\', FALSE)) AND (NOT coalesce(strlen(useridentity.arn) <> length(useridentity.arn), FALSE)))
