-- over: keeps every event the rule can match
     coalesce(json_extract_scalar(responseelements, '$["ConsoleLogin"]') = 'Failure', FALSE)
  OR ((coalesce(NOT starts_with(json_format(json_extract(responseelements, '$["ConsoleLogin"]')), '"'), FALSE) OR coalesce(json_array_length(json_extract(responseelements, '$')) IS NOT NULL, FALSE)) OR coalesce(length(to_utf8(json_extract_scalar(responseelements, '$["ConsoleLogin"]'))) <> length(json_extract_scalar(responseelements, '$["ConsoleLogin"]')), FALSE))
-- under: keeps only events the rule surely matches (printed under NOT)
  FALSE
