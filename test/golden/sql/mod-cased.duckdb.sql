-- over: keeps every event the rule can match
     coalesce(json_extract_string(responseelements, '$."ConsoleLogin"') = 'Failure', FALSE)
  OR (coalesce(json_type(responseelements, '$."ConsoleLogin"') <> 'VARCHAR', FALSE) OR coalesce(json_type(responseelements, '$') = 'ARRAY', FALSE))
-- under: keeps only events the rule surely matches (printed under NOT)
  (coalesce(json_extract_string(responseelements, '$."ConsoleLogin"') = 'Failure', FALSE) AND (NOT (coalesce(json_type(responseelements, '$."ConsoleLogin"') <> 'VARCHAR', FALSE) OR coalesce(json_type(responseelements, '$') = 'ARRAY', FALSE))))
