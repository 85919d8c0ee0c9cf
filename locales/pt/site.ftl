# Ward: textos do site público e das páginas de configuração (português).
# needs-review: tradução a rever por um falante nativo de português.

site-name = Ward
skip-to-content = Saltar para o conteúdo principal
quick-exit = Saída rápida
quick-exit-hint = Sair rapidamente deste site
language-switcher = Idioma
source-code = Código-fonte
footer-privacy = Não registamos o seu endereço IP nem nada que identifique o seu dispositivo.

home-title = Denunciar
home-lead = Denuncie um caso suspeito de exploração sexual de uma criança, de forma segura e anónima.
emergency = Se uma criança estiver em perigo imediato, ligue agora para o número de emergência { $number }.
home-can-report = Pode denunciar:
category-prostitution = crianças exploradas na prostituição
category-abuse-material = material de abuso sexual de crianças encontrado na internet: denuncie a ligação, nunca descarregue, fotografe o ecrã nem partilhe o material
category-trafficking = tráfico de crianças para fins sexuais
category-travel-tourism = exploração sexual de crianças em viagens e no turismo
child-definition = Uma criança é qualquer pessoa com menos de 18 anos.

not-open-title = As denúncias ainda não estão abertas
not-open-lead = Este serviço de denúncia está a ser configurado e ainda não pode receber denúncias.
not-open-advice = Volte mais tarde ou contacte a polícia.

setup-title = Configurar o Ward
setup-lead = Crie a sua organização e a primeira conta de administrador. Esta ligação só funciona uma vez.
setup-organisation-legend = A sua organização
setup-organisation-label = Nome da organização
setup-country-label = País (código de duas letras, por exemplo LU)
setup-admin-legend = O primeiro administrador
setup-email-label = Endereço de e-mail
setup-password-label = Palavra-passe (pelo menos 12 caracteres)
setup-password-confirm-label = Confirme a palavra-passe
setup-totp-legend = Autenticação de dois fatores
setup-totp-hint = Leia este código com uma aplicação de autenticação ou introduza nela a chave abaixo.
setup-totp-key = Chave:
setup-totp-code-label = O código de 6 dígitos que a sua aplicação mostra
setup-submit = Criar a organização
setup-done-title = { $organisation } está configurada
setup-recovery-heading = A sua chave de recuperação
setup-recovery-once = Esta chave só é mostrada uma vez. É a única forma de voltar a ler as suas denúncias se todos os administradores esquecerem a palavra-passe. Anote-a ou imprima-a e guarde-a num local seguro e fora de linha.
setup-recovery-warning = Qualquer pessoa com esta chave e uma cópia da base de dados pode ler todas as denúncias. Nunca a guarde neste servidor.
go-to-public-site = Ir para o site público
go-home = Ir para a página inicial
error-summary-title = Há um problema
