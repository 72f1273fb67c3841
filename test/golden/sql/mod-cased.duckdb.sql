-- over: keeps every event the rule can match
     coalesce(json_extract_string((CASE WHEN json_valid(responseelements) THEN responseelements END), '$."ConsoleLogin"') = 'Failure', FALSE)
  OR ((coalesce(json_type((CASE WHEN json_valid(responseelements) THEN responseelements END), '$."ConsoleLogin"') <> 'VARCHAR', FALSE) OR coalesce(json_type((CASE WHEN json_valid(responseelements) THEN responseelements END), '$') = 'ARRAY', FALSE)) OR coalesce(strlen(json_extract_string((CASE WHEN json_valid(responseelements) THEN responseelements END), '$."ConsoleLogin"')) <> length(json_extract_string((CASE WHEN json_valid(responseelements) THEN responseelements END), '$."ConsoleLogin"')), FALSE))
-- under: keeps only events the rule surely matches (printed under NOT)
  FALSE
