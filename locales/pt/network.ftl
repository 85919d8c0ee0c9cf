# Ward: encaminhamentos, destinatários, a rede de organizações e o portal das autoridades (português).
# needs-review: tradução a rever por uma pessoa de língua materna portuguesa.

## Errors
error-delivery = Não foi possível entregar o encaminhamento
invalid-directory-field = Introduza um valor válido: algarismos para o número, um endereço que comece por https:// para a ligação, códigos de língua de duas letras
invalid-recipient-name = Introduza o nome do destinatário (no máximo 200 caracteres)
invalid-key-without-email = Introduza o endereço de e-mail que corresponde a esta chave OpenPGP
invalid-openpgp-key = Cole uma chave pública OpenPGP (o texto que começa por -----BEGIN PGP PUBLIC KEY BLOCK-----)
invalid-openpgp-secret = Cole a chave pública, não a chave secreta
invalid-openpgp-key-unusable = Esta chave OpenPGP não pode cifrar: expirou, foi revogada ou não tem subchave de cifragem
invalid-no-recipient = Escolha pelo menos um destinatário
invalid-contact-not-agreed = A pessoa que denunciou não aceitou ser contactada pelas autoridades
invalid-referral-state = Este encaminhamento não está nessa fase

## Navigation
recipients-title = Destinatários
network-title = Rede
portal-name = Portal das autoridades Ward

## Recipients
recipients-lead = As unidades policiais, os ministérios públicos, as linhas parceiras e as plataformas a que a sua organização encaminha casos, e como cada um os recebe.
recipients-none = Ainda não há destinatários.
recipients-add = Adicionar um destinatário
recipients-openpgp-key = Descarregar a chave pública OpenPGP da sua organização (os destinatários verificam com ela a assinatura dos encaminhamentos)
recipient-name = Nome
recipient-kind = Tipo
recipient-kind-police = Polícia
recipient-kind-prosecutor = Ministério Público
recipient-kind-hotline = Linha parceira
recipient-kind-liaison = Ponto de ligação (Europol, Interpol)
recipient-kind-platform = Plataforma (pedidos de remoção)
recipient-kind-other = Outro
recipient-channel = Entrega
recipient-email = Endereço de e-mail
recipient-email-hint = Os encaminhamentos só seguem por e-mail com uma chave OpenPGP para este endereço.
recipient-openpgp-key = Chave pública OpenPGP
recipient-openpgp-key-hint = Os encaminhamentos são cifrados para esta chave e assinados com a chave da sua organização.
recipient-notes = Notas
recipient-details = Dados
recipient-save = Guardar as alterações
recipient-disable = Deixar de propor este destinatário
recipient-enable = Voltar a propor este destinatário
recipient-rules = Sugerido para
recipient-rules-hint = A vista do caso sugere este destinatário para casos destes países e categorias.
recipient-no-rules = Ainda não é sugerido para nenhum caso.
recipient-any-category = Qualquer categoria
recipient-rule-add = Sugerir para estes casos
recipient-rule-remove = Deixar de sugerir para { $country }
recipient-portal = Portal das autoridades
recipient-portal-hint = As pessoas deste destinatário podem entrar no portal das autoridades para ler os encaminhamentos que lhe são dirigidos, confirmar a receção e registar o resultado. Uma conta não pode ler encaminhamentos preparados antes de ser criada.
recipient-portal-invite = Convidar para o portal
portal-account-invited = Convidado
notice-recipient-saved = O destinatário foi guardado.
notice-recipient-disabled = O destinatário deixou de ser proposto para encaminhamentos.
notice-recipient-enabled = O destinatário voltou a ser proposto para encaminhamentos.
notice-rules-changed = As sugestões foram guardadas.
notice-portal-account-disabled = A conta do portal foi desativada.
notice-portal-account-enabled = A conta do portal foi reativada.
mail-portal-invitation-subject = O seu convite para o portal das autoridades Ward
mail-portal-invitation-body = Uma linha de denúncia convida-o para o seu portal das autoridades no Ward, onde recebe os encaminhamentos dela. Abra esta ligação no prazo de 7 dias para escolher a sua palavra-passe e configurar a autenticação de dois fatores (só funciona uma vez): { $link }

## Referrals on a case
referrals-title = Encaminhamentos
referrals-none = Este caso não foi encaminhado.
referral-prepare = Encaminhar este caso
referral-no-recipients = A sua organização ainda não tem destinatários: um administrador adiciona-os em Destinatários.
referral-recipients = Destinatários
referral-suggested = Sugerido
referral-answers = Respostas a incluir
referral-attachments = Ficheiros a incluir
referral-include-contact = Incluir os contactos da pessoa que denunciou (aceitou ser contactada pelas autoridades)
referral-contact-left-out = Os contactos da pessoa que denunciou ficam de fora: não aceitou ser contactada pelas autoridades.
referral-summary = Resumo
referral-summary-hint = Um resumo curto para o destinatário, numa língua que ele leia.
referral-prepare-submit = Preparar o encaminhamento
referral-channel-email = E-mail cifrado
referral-channel-portal = Portal das autoridades
referral-channel-manual = Em mão
referral-state-prepared = Preparado
referral-state-sent = Enviado
referral-state-acknowledged = Receção confirmada
referral-state-outcome = Resultado registado
referral-overdue = Confirmação de receção em atraso
referral-prepared-on = Preparado em { $date }
referral-sent-on = enviado em { $date }
referral-due-on = confirmação de receção esperada em { $date }
referral-acknowledged-on = receção confirmada em { $date }
referral-download = Descarregar o pacote para { $recipient }
referral-mark-sent = Marcar como enviado a { $recipient }
referral-mark-acknowledged = { $recipient } confirmou a receção
referral-record-outcome = Registar o resultado de { $recipient }
referral-outcome = Resultado
referral-outcome-note = Nota sobre o resultado (opcional)
referral-outcome-save = Guardar o resultado
referral-outcome-investigation-opened = Investigação aberta
referral-outcome-no-further-action = Sem seguimento
referral-outcome-passed-to-another-country = Passado a outro país
referral-outcome-other = Outro
notice-referral-prepared = O encaminhamento está preparado; os por e-mail ou pelo portal foram enviados.
notice-referral-failed = O encaminhamento está preparado, mas uma entrega falhou: tente de novo com «Marcar como enviado» ou descarregue o pacote.
notice-referral-sent = O encaminhamento está marcado como enviado.
notice-referral-acknowledged = A confirmação de receção foi registada.
notice-referral-outcome-recorded = O resultado foi registado.
inbox-referral = Encaminhamento
inbox-referral-any = Encaminhado
inbox-referral-prepared = Preparado, não enviado
inbox-referral-sent = Enviado, a aguardar confirmação
inbox-referral-overdue = Confirmação de receção em atraso
inbox-referral-acknowledged = Receção confirmada
inbox-referral-outcome = Resultado registado

## Transfers and exports
transfer-title = Transferência
transfer-hint = Outra organização desta instância assume o caso (por exemplo a linha do país do agressor). Recebe uma cópia que pode ler; este caso fica aqui, e a pessoa que denunciou acompanha-o aqui.
transfer-submit = Transferir o caso
transfer-sent = Transferido para { $organisation }
transfer-received = Recebido de { $organisation }
notice-case-transferred = O caso foi transferido.
export-title = Exportação
export-cybertipline = Descarregar em XML CyberTipline do NCMEC

## The network
network-lead = As organizações desta instância, qual recebe as denúncias sobre cada país, e o diretório de países que o sítio público usa.
network-organisations = Organizações
network-organisation = Organização
network-coordinating = Coordenadora
network-covers-all = Recebe denúncias sobre todos os países
network-covers-all-hint = Quando nenhuma organização recebe denúncias sobre um país, o sítio público indica que serviço nacional ou número de emergência usar, e aceita a denúncia na mesma para a organização coordenadora.
network-yes = Sim
network-no = Não
network-cover-all = Receber denúncias sobre todos os países ({ $organisation })
network-stop-covering-all = Deixar de receber denúncias sobre todos os países ({ $organisation })
network-rules = Encaminhamento automático
network-rules-hint = As novas denúncias vão para a organização escolhida para o país dos factos, depois para o país de quem denuncia, depois para uma organização desse país, depois para a organização coordenadora.
network-no-rules = Nenhum país tem ainda uma regra.
network-rule-set = Enviar para lá as denúncias deste país
network-rule-remove = Remover a regra de { $country }
notice-routing-changed = O encaminhamento automático foi guardado.
countries-title = Diretório de países
countries-lead = Números de emergência e serviços nacionais de denúncia por país, tal como o sítio público os mostra.
countries-other = Outro país
countries-edit-other = Editar
countries-edit = Editar { $country }
countries-emergency = Número de emergência
countries-emergency-hint = Algarismos, espaços e barras, por exemplo 112 ou 112 / 116.
countries-mechanism = Serviço nacional de denúncia
countries-mechanism-url = O seu endereço web
countries-mechanism-url-hint = Começa por https://
countries-languages = Línguas
countries-languages-hint = Códigos de duas letras, separados por vírgulas, por exemplo fr, de, lb.
countries-changed = Alterado aqui
countries-save = Guardar
notice-directory-changed = O diretório foi guardado.

## The authority portal
portal-referrals = Encaminhamentos
portal-lead = Os encaminhamentos dirigidos a si. Abra um para o ler, descarregar o pacote, confirmar a receção e indicar o que lhe aconteceu.
portal-none = Ainda não há encaminhamentos.
portal-from = De
portal-to = Para
portal-sent = Enviado
portal-sealed-before = Enviado antes de a sua conta ser criada (peça à linha que o envie de novo)
portal-acknowledge = Confirmar a receção
portal-download = Descarregar o pacote (PDF, JSON e ficheiros)
portal-english = Tal como a linha as enviou, em inglês.
portal-no-contact = Não incluídos.
portal-files-hint = Os ficheiros estão no pacote.
portal-outcome-label = O que aconteceu a este encaminhamento
portal-outcome-note-hint = Tanto o senhor como a linha a podem ler.
portal-invitation-done = A sua conta está pronta. Entre com o seu endereço de e-mail, a sua palavra-passe e um código da sua aplicação de autenticação.

## Audit log
audit-directory-changed = Diretório de países alterado
audit-routing-changed = Encaminhamento automático alterado
audit-recipient-changed = Destinatário alterado
audit-referral-prepared = Encaminhamento preparado
audit-referral-sent = Encaminhamento enviado
audit-referral-downloaded = Encaminhamento descarregado
audit-referral-viewed = Encaminhamento lido
audit-referral-acknowledged = Receção do encaminhamento confirmada
audit-referral-outcome = Resultado do encaminhamento registado
audit-transferred = Caso transferido
audit-portal-account-invited = Convidado para o portal
audit-portal-sign-in = Entrada no portal
audit-portal-sign-in-failed = Entrada no portal falhada
